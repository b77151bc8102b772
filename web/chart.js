// The competency scores as a horizontal bar chart in inline SVG, built node by node (text is never parsed as markup).
// Used by the summary card on the page and by the downloaded report, hence the document parameter.

const SVG = 'http://www.w3.org/2000/svg';
// Each competency gets a row: its name on one line, the bar under it, so long names never collide with the bars.
const WIDTH = 640;
const LEFT = 4;
const BAR_WIDTH = 560;
const ROW = 52;
const MAX_LABEL = 70;

export function svgNode(doc, name, attributes, text) {
  const node = doc.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function clampScore(score) {
  const number = Number(score);
  return Number.isFinite(number) ? Math.max(0, Math.min(100, Math.round(number))) : 0;
}

export function competencyChart(doc, competencies) {
  const rows = (Array.isArray(competencies) ? competencies : [])
    .filter((item) => item && typeof item.name === 'string')
    .map((item) => ({ name: item.name, score: clampScore(item.score) }));
  const height = Math.max(1, rows.length) * ROW + 24;
  const description = rows.map((row) => `${row.name} ${row.score} out of 100`).join(', ');
  const svg = svgNode(doc, 'svg', {
    class: 'competency-chart', viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img',
    'aria-label': `Scores by competency: ${description || 'none yet'}`,
  });
  svg.append(svgNode(doc, 'title', {}, `Scores by competency: ${description || 'none yet'}`));
  rows.forEach((row, index) => {
    const y = index * ROW;
    const label = svgNode(doc, 'text', { x: LEFT, y: y + 16, 'font-size': 15, fill: '#1f2933' },
      row.name.length > MAX_LABEL ? `${row.name.slice(0, MAX_LABEL - 1)}…` : row.name);
    const track = svgNode(doc, 'rect', { x: LEFT, y: y + 24, width: BAR_WIDTH, height: 18, rx: 3, fill: '#e4e7eb' });
    const bar = svgNode(doc, 'rect', { class: 'bar', x: LEFT, y: y + 24,
      width: (BAR_WIDTH * row.score) / 100, height: 18, rx: 3, fill: '#1d5fa8', 'data-score': row.score });
    const value = svgNode(doc, 'text', { x: LEFT + BAR_WIDTH + 10, y: y + 38, 'font-size': 15, 'font-weight': 700,
      fill: '#1f2933' }, `${row.score}`);
    svg.append(label, track, bar, value);
  });
  const axisY = rows.length * ROW + 16;
  for (const tick of [0, 50, 100]) {
    const anchor = tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle';
    svg.append(svgNode(doc, 'text', { x: LEFT + (BAR_WIDTH * tick) / 100, y: axisY, 'font-size': 12,
      'text-anchor': anchor, fill: '#52606d' }, `${tick}`));
  }
  return svg;
}
