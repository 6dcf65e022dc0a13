import { inventoryAgeLimitHours } from '../../../runner/core/inventory-age';

describe('inventoryAgeLimitHours', () => {
  it.each([
    ['Daily', undefined, 48],
    ['Weekly', undefined, 192],
    ['Daily', 6, 6],
    ['Weekly', 24, 24],
  ])('a %s inventory with --max-inventory-age-hours %j may be %d hours old', (frequency, given, expected) => {
    expect(inventoryAgeLimitHours(frequency, given)).toBe(expected);
  });
});
