/** One icon set for the console (Lucide, like the panel), drawn in the text colour, hidden from screen readers. */
import type { IconNode } from 'lucide';
import { h } from 'preact';

export function Icon({ node, size = 16 }: { node: IconNode; size?: number }) {
  return (
    <svg
      class="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {node.map(([tag, attrs], i) => h(tag, { key: i, ...attrs }))}
    </svg>
  );
}
