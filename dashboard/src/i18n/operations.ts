/** Texts of the operations feature. */
export const operations = {
  vi: {},
  en: {},
} as const;
