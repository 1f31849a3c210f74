/// <reference lib="dom" />
// Sidebar icons in the style of GraphiQL's own (1.5 px strokes on a 24 px grid).
import { createElement as h, type SVGProps } from 'react';

const svg = (props: SVGProps<SVGSVGElement>, ...children: ReturnType<typeof h>[]) =>
  h(
    'svg',
    {
      viewBox: '0 0 24 24',
      fill: 'none',
      stroke: 'currentColor',
      strokeWidth: 1.5,
      strokeLinecap: 'round',
      strokeLinejoin: 'round',
      ...props,
    },
    ...children,
  );

export function TableIcon(props: SVGProps<SVGSVGElement>) {
  return svg(
    props,
    h('rect', { x: 3, y: 4, width: 18, height: 16, rx: 1.5 }),
    h('path', { d: 'M3 9.5h18M3 14.75h18M9 9.5V20M15 9.5V20' }),
  );
}

export function ExamplesIcon(props: SVGProps<SVGSVGElement>) {
  return svg(
    props,
    h('path', { d: 'M5 4.5A1.5 1.5 0 0 1 6.5 3H19v15H6.5A1.5 1.5 0 0 0 5 19.5v-15Z' }),
    h('path', { d: 'M5 19.5A1.5 1.5 0 0 0 6.5 21H19v-3M9 7.5h6M9 11h4' }),
  );
}

export function ChartIcon(props: SVGProps<SVGSVGElement>) {
  return svg(
    props,
    h('path', { d: 'M3.75 3.75v16.5h16.5' }),
    h('path', { d: 'M8 17v-5M12.5 17V7M17 17v-8' }),
  );
}
