// How old the newest inventory may be before the runner refuses it: the one default of
// --max-inventory-age-hours, for preflight and verify alike.

/**
 * The limit in hours: the one given, else 48 for daily reports (a day and a delivery that came
 * late) and 8 days for weekly ones.
 */
export function inventoryAgeLimitHours(frequency: string, maxInventoryAgeHours?: number): number {
  return maxInventoryAgeHours ?? (frequency === 'Weekly' ? 8 * 24 : 48);
}
