/** Texts of the overview feature. */
export const overview = {
  vi: {},
  en: {},
} as const;
