import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live streaming: payloads of the socket.io PostgreSQL adapter too large for NOTIFY (8,000 bytes). */
export class Live1763798400000 implements MigrationInterface {
  name = 'Live1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS socket_io_attachments');
  }
}
