// The competency scores as a bar chart made of HTML: one row per competency, its name and score as text and the bar
// under them, so the labels keep the page's font size on a phone (an SVG scaled to 390 px shrank them to 8 px).
// Used by the summary card on the page and by the downloaded report, hence the document parameter. Text goes in
// through textContent only; the bar's width is set through the style object, which the pages' CSP allows.

function clampScore(score) {
  const number = Number(score);
  return Number.isFinite(number) ? Math.max(0, Math.min(100, Math.round(number))) : 0;
}

export function competencyChart(doc, competencies) {
  const rows = (Array.isArray(competencies) ? competencies : [])
    .filter((item) => item && typeof item.name === 'string')
    .map((item) => ({ name: item.name, score: clampScore(item.score) }));
  const chart = doc.createElement('ul');
  chart.className = 'competency-chart';
  chart.setAttribute('aria-label', 'Scores by competency, out of 100');
  for (const row of rows) {
    const item = doc.createElement('li');
    const label = doc.createElement('span');
    label.className = 'bar-label';
    label.textContent = row.name;
    const value = doc.createElement('span');
    value.className = 'bar-value';
    value.textContent = `${row.score}`;
    const scale = doc.createElement('span');
    scale.className = 'visually-hidden';
    scale.textContent = ' out of 100';
    value.append(scale);
    const track = doc.createElement('span');
    track.className = 'bar-track';
    track.setAttribute('aria-hidden', 'true');
    const bar = doc.createElement('span');
    bar.className = 'bar';
    bar.dataset.score = String(row.score);
    bar.style.width = `${row.score}%`;
    track.append(bar);
    item.append(label, value, track);
    chart.append(item);
  }
  return chart;
}
