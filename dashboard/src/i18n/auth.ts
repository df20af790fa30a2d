/** Texts of the auth feature. */
export const auth = {
  vi: {},
  en: {},
} as const;
