/** Texts of the map feature. */
export const map = {
  vi: {},
  en: {},
} as const;
