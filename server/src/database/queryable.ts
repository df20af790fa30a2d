/** Anything that runs SQL and answers rows: the DataSource, an EntityManager, or (wrapped) a pg client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
