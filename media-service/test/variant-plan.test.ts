import { describe, expect, it } from 'vitest';
import { planVariants, plannedWidths, variantNamePattern } from '../src/domain/variant-plan.ts';

describe('variant widths', () => {
  it.each([
    [4000, [400, 800, 1600]],
    [1600, [400, 800, 1600]],
    [1601, [400, 800, 1600]],
    [1000, [400, 800, 1000]],
    [800, [400, 800]],
    [401, [400, 401]],
    [400, [400]],
    [120, [120]],
  ])('an image %i px wide gets %j: never enlarged', (width, widths) => {
    expect(plannedWidths(width)).toEqual(widths);
  });

  it('names each variant by width and format, in a shape its URL accepts', () => {
    const plan = planVariants(1000, ['webp', 'avif']);
    expect(plan.map((v) => v.name)).toEqual(['400.webp', '800.webp', '1000.webp', '400.avif', '800.avif', '1000.avif']);
    for (const { name } of plan) expect(name).toMatch(variantNamePattern);
  });
});
