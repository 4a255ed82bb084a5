/** The words the form's labels use for the product dimensions a barcode names. */
const WORDS: Record<string, string> = {
  colorId: 'colour',
  sizeId: 'size',
  styleId: 'style',
  configId: 'configuration',
  versionId: 'version',
};

/** "colour red, size S, style women": a line's variant, without site and warehouse (they have their own place). */
export function variantWords(dimensions: Record<string, string>): string {
  return Object.entries(dimensions)
    .filter(([name, value]) => name !== 'siteId' && name !== 'locationId' && value !== '')
    .map(([name, value]) => `${WORDS[name] ?? name} ${value}`)
    .join(', ');
}

/** "D0001 (colour red, size S)", or "D0001" without a variant: the item a line was or will be stored as. */
export function itemAndVariant(productId: string, dimensions: Record<string, string>): string {
  const variant = variantWords(dimensions);
  return variant ? `${productId} (${variant})` : productId;
}
