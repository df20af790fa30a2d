import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The key of a source system: table `ingest_key` (migration 1763971200000-auth).
 * Only the SHA-256 of the key is stored, and its first characters to recognise it.
 */
@Entity('ingest_key')
@Unique('ingest_key_key_hash_key', ['keyHash'])
export class IngestKey {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'ingest_key_pkey' })
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  prefix!: string;

  @Column('bytea', { name: 'key_hash' })
  keyHash!: Buffer;

  /** `nation`, `province:<code>` or `commune:<code>`. */
  @Column('text')
  scope!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_by', nullable: true })
  revokedBy!: string | null;
}
