// The candidate's own answer with the words that earned each point marked, as on the feedback card and in the report.
// A feedback payload gives, for each covered point, where its words are ({part, start, end}: which of the answers,
// the first or the reply to a follow-up, and UTF-16 offsets as JavaScript counts them). Text goes in as text nodes.

const str = (value) => (typeof value === 'string' ? value : '');

// The covered points a card lists, in order: all of them, or those whose id is in `ids`.
export function listedPoints(feedback, ids = null) {
  const covered = Array.isArray(feedback?.covered) ? feedback.covered : [];
  return covered.filter((item) => item && typeof item === 'object' && (!ids || ids.includes(item.id)));
}

// The marks of one answer, numbered like the points the card lists (1, 2, ...); overlapping marks merge and keep
// every number.
export function marksFor(feedback, part, ids = null) {
  const spans = [];
  listedPoints(feedback, ids).forEach((item, index) => {
    for (const span of Array.isArray(item?.spans) ? item.spans : []) {
      if (span?.part === part && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) {
        spans.push({ start: span.start, end: span.end, points: [index + 1] });
      }
    }
  });
  spans.sort((a, b) => a.start - b.start);
  const merged = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.points = [...new Set([...last.points, ...span.points])].sort((a, b) => a - b);
    } else merged.push({ ...span });
  }
  return merged;
}

// A <p> holding the answer, each mark a <mark> followed by the numbers of the points it earned.
export function highlightedAnswer(doc, text, marks, className = 'answer-text') {
  const answer = str(text);
  const paragraph = doc.createElement('p');
  paragraph.className = className;
  let at = 0;
  for (const mark of marks) {
    if (mark.start < at || mark.end > answer.length) continue; // stale offsets: show the text unmarked
    paragraph.append(doc.createTextNode(answer.slice(at, mark.start)));
    const node = doc.createElement('mark');
    node.textContent = answer.slice(mark.start, mark.end);
    const points = doc.createElement('sup');
    points.className = 'point-ref';
    points.textContent = mark.points.join(',');
    points.setAttribute('aria-hidden', 'true');
    const spoken = doc.createElement('span');
    spoken.className = 'visually-hidden';
    spoken.textContent = ` (point${mark.points.length > 1 ? 's' : ''} ${mark.points.join(', ')})`;
    paragraph.append(node, points, spoken);
    at = mark.end;
  }
  paragraph.append(doc.createTextNode(answer.slice(at)));
  return paragraph;
}
