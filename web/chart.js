// The competency scores as a horizontal bar chart in inline SVG, built node by node (text is never parsed as markup).
// Used by the summary card on the page and by the downloaded report, hence the document parameter.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const LABEL_WIDTH = 250;
const BAR_WIDTH = 320;
const ROW = 34;

function svgNode(doc, name, attributes, text) {
  const node = doc.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function clampScore(score) {
  const number = Number(score);
  return Number.isFinite(number) ? Math.max(0, Math.min(100, Math.round(number))) : 0;
}

export function competencyChart(doc, competencies) {
  const rows = (Array.isArray(competencies) ? competencies : [])
    .filter((item) => item && typeof item.name === 'string')
    .map((item) => ({ name: item.name, score: clampScore(item.score) }));
  const height = Math.max(1, rows.length) * ROW + 28;
  const description = rows.map((row) => `${row.name} ${row.score} out of 100`).join(', ');
  const svg = svgNode(doc, 'svg', {
    class: 'competency-chart', viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img',
    'aria-label': `Scores by competency: ${description || 'none yet'}`,
  });
  svg.append(svgNode(doc, 'title', {}, `Scores by competency: ${description || 'none yet'}`));
  rows.forEach((row, index) => {
    const y = index * ROW;
    const label = svgNode(doc, 'text', { x: LABEL_WIDTH - 10, y: y + 21, 'text-anchor': 'end', 'font-size': 14,
      fill: '#1f2933' }, row.name.length > 34 ? `${row.name.slice(0, 33)}…` : row.name);
    const track = svgNode(doc, 'rect', { x: LABEL_WIDTH, y: y + 6, width: BAR_WIDTH, height: 20, rx: 3,
      fill: '#e4e7eb' });
    const bar = svgNode(doc, 'rect', { class: 'bar', x: LABEL_WIDTH, y: y + 6,
      width: (BAR_WIDTH * row.score) / 100, height: 20, rx: 3, fill: '#1d5fa8', 'data-score': row.score });
    const value = svgNode(doc, 'text', { x: LABEL_WIDTH + BAR_WIDTH + 10, y: y + 21, 'font-size': 14,
      fill: '#1f2933' }, `${row.score}`);
    svg.append(label, track, bar, value);
  });
  const axisY = rows.length * ROW + 20;
  for (const tick of [0, 50, 100]) {
    svg.append(svgNode(doc, 'text', { x: LABEL_WIDTH + (BAR_WIDTH * tick) / 100, y: axisY, 'font-size': 12,
      'text-anchor': 'middle', fill: '#52606d' }, `${tick}`));
  }
  return svg;
}
