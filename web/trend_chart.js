// Scores over time as inline SVG, built node by node (text is never parsed as markup): a line chart with one line
// per series (a learner's competencies on the chat page's progress card, the class's competencies week by week on the
// instructor page), and a sparkline for one learner's interviews in the instructor's roster.

import { clampScore as clamp } from './chart.js';

const SVG = 'http://www.w3.org/2000/svg';

// Six colours that stay apart from each other and reach 4.5:1 on white.
export const PALETTE = ['#1d5fa8', '#b3541e', '#1e6b3a', '#7b3fa0', '#a61b1b', '#3d4852'];
const HEIGHT = 260;
const LEFT = 72;
const RIGHT = 56;
const TOP = 12;
const BOTTOM = 40;

function svgNode(doc, name, attributes, text) {
  const node = doc.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function cleanSeries(series) {
  return (Array.isArray(series) ? series : [])
    .filter((item) => item && typeof item.name === 'string' && Array.isArray(item.points))
    .map((item) => ({
      name: item.name,
      points: item.points.filter((point) => point && typeof point.label === 'string' && Number.isFinite(Number(point.score)))
        .map((point) => ({ label: point.label, score: clamp(point.score) })),
    }))
    .filter((item) => item.points.length);
}

// series: [{name, points: [{label, score}]}]; labels along the x axis in order. `width`: the room the chart has, in
// CSS pixels, so that its text keeps a readable size from a phone to a desktop.
export function trendChart(doc, series, title, width = 640) {
  const WIDTH = Math.max(300, Math.min(900, Math.round(width) || 640));
  const lines = cleanSeries(series);
  const labels = [...new Set(lines.flatMap((line) => line.points.map((point) => point.label)))].sort();
  const description = lines.map((line) => `${line.name}: ${line.points.map((p) => `${p.score} (${p.label})`).join(', ')}`)
    .join('; ');
  const figure = doc.createElement('figure');
  figure.className = 'trend-chart';
  const svg = svgNode(doc, 'svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: '100%', role: 'img', 'aria-label': `${title}. ${description || 'No scores yet.'}`,
  });
  svg.append(svgNode(doc, 'title', {}, title));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (label) => LEFT + (labels.length > 1 ? (plotWidth * labels.indexOf(label)) / (labels.length - 1) : plotWidth / 2);
  const y = (score) => TOP + plotHeight - (plotHeight * score) / 100;
  for (const tick of [0, 50, 100]) {
    svg.append(svgNode(doc, 'line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(tick), y2: y(tick), stroke: '#cbd2d9' }));
    svg.append(svgNode(doc, 'text', { x: LEFT - 6, y: y(tick) + 5, 'font-size': 14, 'text-anchor': 'end', fill: '#52606d' },
      `${tick}`));
  }
  const room = Math.max(2, Math.floor(plotWidth / 100)); // x labels that fit side by side
  labels.forEach((label, index) => {
    if (labels.length > room && index % Math.ceil(labels.length / room) && index !== labels.length - 1) return;
    svg.append(svgNode(doc, 'text', { x: x(label), y: HEIGHT - BOTTOM + 22, 'font-size': 14, 'text-anchor': 'middle',
      fill: '#52606d' }, label));
  });
  lines.forEach((line, index) => {
    const colour = PALETTE[index % PALETTE.length];
    if (line.points.length > 1) {
      svg.append(svgNode(doc, 'polyline', { fill: 'none', stroke: colour, 'stroke-width': 3,
        points: line.points.map((point) => `${x(point.label)},${y(point.score)}`).join(' ') }));
    }
    for (const point of line.points) {
      svg.append(svgNode(doc, 'circle', { cx: x(point.label), cy: y(point.score), r: 5, fill: colour,
        'data-series': line.name, 'data-score': point.score }));
    }
  });
  const legend = doc.createElement('ul');
  legend.className = 'legend';
  lines.forEach((line, index) => {
    const item = doc.createElement('li');
    const swatch = svgNode(doc, 'svg', { class: 'swatch', viewBox: '0 0 16 16', width: 16, height: 16,
      'aria-hidden': 'true' });
    swatch.append(svgNode(doc, 'rect', { width: 16, height: 16, rx: 3, fill: PALETTE[index % PALETTE.length] }));
    const latest = line.points[line.points.length - 1].score;
    item.append(swatch, doc.createTextNode(`${line.name}: ${latest}`));
    legend.append(item);
  });
  figure.append(svg, legend);
  return figure;
}

// A learner's interview averages as a small line, for a table cell.
export function sparkline(doc, scores, label) {
  const values = (Array.isArray(scores) ? scores : []).filter((s) => Number.isFinite(Number(s))).map(clamp);
  const width = 120;
  const height = 32;
  const svg = svgNode(doc, 'svg', { class: 'sparkline', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': `${label}: ${values.join(', ') || 'no interview yet'}` });
  const step = values.length > 1 ? (width - 8) / (values.length - 1) : 0;
  const points = values.map((value, index) => [4 + index * step, height - 4 - ((height - 8) * value) / 100]);
  if (points.length > 1) {
    svg.append(svgNode(doc, 'polyline', { fill: 'none', stroke: PALETTE[0], 'stroke-width': 2,
      points: points.map(([px, py]) => `${px},${py}`).join(' ') }));
  }
  for (const [px, py] of points) svg.append(svgNode(doc, 'circle', { cx: px, cy: py, r: 3, fill: PALETTE[0] }));
  return svg;
}
