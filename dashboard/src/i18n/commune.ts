/** Texts of the commune feature. */
export const commune = {
  vi: {},
  en: {},
} as const;
