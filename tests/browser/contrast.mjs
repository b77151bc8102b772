// WCAG contrast check, run inside the page: every visible element with its own text must reach 4.5:1 against the
// first opaque background behind it (3:1 for large text: 24px, or 18.66px bold).

export function lowContrastText() {
  const parse = (color) => {
    const match = color.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    return match ? { rgb: [1, 2, 3].map((i) => Number(match[i])), alpha: match[4] === undefined ? 1 : Number(match[4]) }
      : null;
  };
  const luminance = ([r, g, b]) => {
    const channel = (value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color.alpha >= 0.99) return color.rgb;
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const element of document.querySelectorAll('body *')) {
    const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!ownText || !element.checkVisibility?.() || element.closest('.visually-hidden, [hidden]')) continue;
    const style = getComputedStyle(element);
    const foreground = parse(style.color);
    if (!foreground) continue;
    const [a, b] = [luminance(foreground.rgb), luminance(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 30)}" `
        + `${ratio.toFixed(2)}:1`);
    }
  }
  return failures;
}
