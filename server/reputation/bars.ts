// Horizontal bars for counts (good / mixed / bad), drawn as inline SVG: attributes, not inline
// styles, so the page's Content-Security-Policy stays strict, and no script is needed.

const WIDTH = 300;

export interface Segment {
  kind: 'good' | 'mixed' | 'bad';
  count: number;
}

/** Each non-empty segment with its x and width, in order; empty when there is nothing to draw. */
export function barSegments(segments: Segment[]) {
  const total = segments.reduce((sum, segment) => sum + segment.count, 0);
  if (total === 0) return { width: WIDTH, total, parts: [] };
  let x = 0;
  const parts = segments
    .filter((segment) => segment.count > 0)
    .map((segment) => {
      const width = (segment.count / total) * WIDTH;
      const part = { ...segment, x: round(x), width: round(width) };
      x += width;
      return part;
    });
  return { width: WIDTH, total, parts };
}

const round = (value: number) => Math.round(value * 10) / 10;
