/**
 * A link that opens SCM's inventory adjustment journals in the line's company. The menu item
 * `InventJournalTableLossProfit` is *Inventory management › Journal entries › Items ›
 * Inventory adjustment*; SCM's deep links to a single record need a query it encodes itself,
 * so the journal number is shown beside the link to find the journal in that list.
 */
export function scmJournalsUrl(
  fnoEnvironmentUrl: string | null | undefined,
  organizationId: string,
): string | null {
  if (!fnoEnvironmentUrl) return null;
  const base = fnoEnvironmentUrl.replace(/\/+$/, '');
  return `${base}/?cmp=${encodeURIComponent(organizationId)}&mi=InventJournalTableLossProfit`;
}
