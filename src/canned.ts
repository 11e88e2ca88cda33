/** Canned replies: `{customer}`, `{operator}`, `{desk}` are filled in; unknown placeholders stay as written. */
export function fillCanned(template: string, values: { customer: string; operator: string; desk: string }): string {
  return template.replace(/\{(customer|operator|desk)\}/g, (_, key: 'customer' | 'operator' | 'desk') => values[key]);
}
