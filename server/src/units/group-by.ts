/**
 * How the figures of a scope are keyed: one total for the scope (`'*'`), one per
 * unit (`unit_code`) or one per province (`province_code`). The rollups, the fee
 * summaries and the feedback counts are all read this way.
 */
export type GroupBy = 'none' | 'unit' | 'province';
