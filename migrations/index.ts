import { Init1763712000000 } from './1763712000000-init.js';

/** Every migration, in order. */
export const MIGRATIONS = [Init1763712000000];
