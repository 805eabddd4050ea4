// DOM helpers. Every piece of text goes in through textContent, never parsed as markup:
// scenario titles, place names and API messages are data, not markup.

export function $(id) {
  return document.getElementById(id);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// a link only for http(s) sources (never javascript: or data: URLs)
export function sourceLink(url, text) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
    return el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text });
  }
  return el('span', { text });
}

// The message beside a field (empty hides it).
export function say(id, text, kind = 'error') {
  const node = $(id);
  if (!node) return;
  node.textContent = text || '';
  node.className = text ? `msg ${kind}` : 'msg';
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function fmtInt(n) {
  return n === null || n === undefined ? '' : Math.round(n).toLocaleString('en-GB');
}

export function fmtKm(km) {
  if (km === null || km === undefined || !Number.isFinite(km)) return '';
  return km < 10 ? km.toFixed(1) : Math.round(km).toLocaleString('en-GB');
}

export function fmtTime(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '';
  const m = Math.floor(s / 60), sec = Math.round(s - 60 * m);
  return `${m}:${String(sec).padStart(2, '0')}`;
}
