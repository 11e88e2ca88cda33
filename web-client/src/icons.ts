/**
 * The widget's few icons as inline SVG built node by node (no markup parsing, no font or
 * asset download: emoji fonts are missing on many systems). 24×24 stroke icons.
 */
const SVG = 'http://www.w3.org/2000/svg';

function icon(...paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({
    viewBox: '0 0 24 24',
    width: '20',
    height: '20',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
  }))
    svg.setAttribute(k, v);
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

export const paperclipIcon = () =>
  icon('M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9');
const BELL = 'M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9';
const CLAPPER = 'M10.3 21a1.9 1.9 0 0 0 3.4 0';
export const bellIcon = () => icon(BELL, CLAPPER);
export const bellOffIcon = () => icon(BELL, CLAPPER, 'M3 3l18 18');
