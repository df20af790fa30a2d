/** Texts of the common feature. */
export const common = {
  vi: {},
  en: {},
} as const;
