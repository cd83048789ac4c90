// A QALITA-like database generated server-side (generate_series, random words, md5), so a few MB
// for tests and ~1 GB for the benchmark both build quickly. Shapes follow the platform: users and
// teams, data sources and quality packs, jobs run by workers, their results, recommendations and
// logs; jsonb configs, several indexes per table, foreign keys, roles with grants.
import { PgCluster } from "./pg-cluster";

export interface DatasetOptions {
    /** Row multiplier: 1 ≈ 7 MB of tables and indexes, 160 ≈ 1 GB. */
    scale: number;
    db?: string;
}

/** Rows per table at scale 1; every table grows linearly with the scale. */
const ROWS = { teams: 4, users: 40, sources: 60, packs: 20, jobs: 1500, results: 10000, recommendations: 1500, logs: 10000 };

export const QALITA_ROLES = ["qalita", "qalita_readonly", "qalita_analyst"];

const VOCAB = `completeness duplicates outlier schema freshness validity uniqueness consistency accuracy
timeliness null missing column table row value threshold score metric customer order invoice
payment product sensor event session country amount currency email phone address created updated
profile check passed failed warning critical ingestion pipeline warehouse lake bucket partition
snapshot drift distribution mean median variance minimum maximum pattern regex format date`.split(/\s+/);

export async function createQalitaDataset(cluster: PgCluster, opts: DatasetOptions): Promise<void> {
    const db = opts.db ?? "qalitadb";
    const n = (k: keyof typeof ROWS) => Math.max(1, Math.round(ROWS[k] * opts.scale));
    await cluster.psql(`
        CREATE ROLE qalita LOGIN PASSWORD 'qalita-app-password';
        CREATE ROLE qalita_readonly NOLOGIN;
        CREATE ROLE qalita_analyst LOGIN PASSWORD 'analyst-password' IN ROLE qalita_readonly;`);
    await cluster.psql(`CREATE DATABASE ${db} OWNER qalita`);
    const vocab = `ARRAY[${VOCAB.map((w) => `'${w}'`).join(",")}]`;
    // One session: the temp helper and the seed (reproducible data) live as long as it does.
    await cluster.psql(
        `
SELECT setseed(0.42);
CREATE FUNCTION pg_temp.words(k int) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT string_agg((${vocab})[1 + floor(random() * ${VOCAB.length})::int], ' ') FROM generate_series(1, k) $$;
SET ROLE qalita;
CREATE SCHEMA platform; CREATE SCHEMA catalog; CREATE SCHEMA quality;

CREATE TABLE platform.teams (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO platform.teams (name) SELECT 'team-' || g || '-' || pg_temp.words(1) FROM generate_series(1, ${n("teams")}) g;

CREATE TABLE platform.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id int NOT NULL REFERENCES platform.teams, login text NOT NULL UNIQUE, email text NOT NULL UNIQUE,
  name text NOT NULL, role text NOT NULL CHECK (role IN ('admin', 'dataengineer', 'viewer')),
  settings jsonb NOT NULL DEFAULT '{}', is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL, last_login_at timestamptz);
INSERT INTO platform.users (team_id, login, email, name, role, settings, is_active, created_at, last_login_at)
SELECT 1 + g % ${n("teams")}, 'user' || g, 'user' || g || '@' || md5(g::text) || '.example.com',
  initcap(pg_temp.words(2)), (ARRAY['admin','dataengineer','viewer'])[1 + g % 3],
  jsonb_build_object('theme', (ARRAY['light','dark'])[1 + g % 2], 'locale', (ARRAY['en','fr','de'])[1 + g % 3],
    'notifications', g % 4 <> 0), g % 17 <> 0,
  timestamptz '2024-01-01' + g * interval '37 minutes', now() - random() * interval '90 days'
FROM generate_series(1, ${n("users")}) g;
CREATE INDEX ON platform.users (team_id); CREATE INDEX ON platform.users (created_at);

CREATE TABLE catalog.sources (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES platform.users, team_id int NOT NULL REFERENCES platform.teams,
  name text NOT NULL, type text NOT NULL, description text, config jsonb NOT NULL,
  visibility text NOT NULL DEFAULT 'internal', validated boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, UNIQUE (team_id, name));
INSERT INTO catalog.sources (owner_id, team_id, name, type, description, config, visibility, validated, created_at, updated_at)
SELECT 1 + g % ${n("users")}, 1 + g % ${n("teams")}, 'source_' || g || '_' || replace(pg_temp.words(2), ' ', '_'),
  (ARRAY['postgresql','mysql','file','s3','bigquery','snowflake','oracle'])[1 + g % 7], pg_temp.words(8 + g % 12),
  jsonb_build_object('host', 'db' || g % 50 || '.internal', 'port', 5432 + g % 3, 'database', 'warehouse_' || g % 9,
    'schema', pg_temp.words(1), 'tables', (SELECT jsonb_agg('table_' || t) FROM generate_series(1, 3 + g % 8) t)),
  (ARRAY['private','internal','public'])[1 + g % 3], g % 5 <> 0,
  timestamptz '2024-02-01' + g * interval '3 hours', timestamptz '2024-06-01' + g * interval '5 hours'
FROM generate_series(1, ${n("sources")}) g;
CREATE INDEX ON catalog.sources (owner_id); CREATE INDEX ON catalog.sources (type, created_at);
CREATE INDEX ON catalog.sources USING gin (config jsonb_path_ops);

CREATE TABLE catalog.packs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES platform.users, name text NOT NULL, type text NOT NULL,
  version text NOT NULL, description text, config jsonb NOT NULL, created_at timestamptz NOT NULL,
  UNIQUE (name, version));
INSERT INTO catalog.packs (owner_id, name, type, version, description, config, created_at)
SELECT 1 + g % ${n("users")}, (ARRAY['profiling','duplicates','outlier','schema','timeliness','accuracy'])[1 + g % 6] || '_pack_' || g,
  (ARRAY['profiling','duplicates','outlier','schema','timeliness','accuracy'])[1 + g % 6], '1.' || g % 7 || '.' || g % 13,
  pg_temp.words(10 + g % 20), jsonb_build_object('job', jsonb_build_object('threshold', round((random())::numeric, 3),
    'columns', (SELECT jsonb_agg(pg_temp.words(1)) FROM generate_series(1, 2 + g % 5)))),
  timestamptz '2024-01-15' + g * interval '11 hours'
FROM generate_series(1, ${n("packs")}) g;
CREATE INDEX ON catalog.packs (type); CREATE INDEX ON catalog.packs (owner_id);

CREATE TABLE quality.jobs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id bigint NOT NULL REFERENCES catalog.sources, pack_id bigint NOT NULL REFERENCES catalog.packs,
  user_id bigint NOT NULL REFERENCES platform.users, status text NOT NULL, agent_name text NOT NULL,
  scheduled_at timestamptz NOT NULL, started_at timestamptz, ended_at timestamptz, params jsonb NOT NULL);
INSERT INTO quality.jobs (source_id, pack_id, user_id, status, agent_name, scheduled_at, started_at, ended_at, params)
SELECT 1 + g % ${n("sources")}, 1 + g % ${n("packs")}, 1 + g % ${n("users")},
  (ARRAY['succeeded','succeeded','succeeded','failed','running','pending'])[1 + g % 6], 'worker-' || g % 12,
  timestamptz '2024-03-01' + g * interval '2 minutes', timestamptz '2024-03-01' + g * interval '2 minutes' + interval '5 seconds',
  timestamptz '2024-03-01' + g * interval '2 minutes' + random() * interval '20 minutes',
  jsonb_build_object('trigger', (ARRAY['schedule','manual','api'])[1 + g % 3], 'sample', g % 2 = 0, 'run', md5(g::text))
FROM generate_series(1, ${n("jobs")}) g;
CREATE INDEX ON quality.jobs (source_id); CREATE INDEX ON quality.jobs (pack_id);
CREATE INDEX ON quality.jobs (status, scheduled_at);

CREATE TABLE quality.results (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id bigint NOT NULL REFERENCES quality.jobs, source_id bigint NOT NULL REFERENCES catalog.sources,
  key text NOT NULL, value double precision, score numeric(5,4), scope jsonb NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO quality.results (job_id, source_id, key, value, score, scope, created_at)
SELECT 1 + g % ${n("jobs")}, 1 + (g % ${n("jobs")}) % ${n("sources")},
  (ARRAY['completeness_score','duplicates','distinct_count','null_count','mean','stddev','outlier_count','freshness_hours'])[1 + g % 8],
  round((random() * 10000)::numeric, 4), round(random()::numeric, 4),
  jsonb_build_object('perimeter', (ARRAY['dataset','column','table'])[1 + g % 3], 'column', pg_temp.words(1) || '_' || g % 40,
    'table', 'table_' || g % 30, 'rows', (random() * 1e6)::int),
  timestamptz '2024-03-01' + g * interval '13 seconds'
FROM generate_series(1, ${n("results")}) g;
CREATE INDEX ON quality.results (job_id); CREATE INDEX ON quality.results (source_id, key);
CREATE INDEX ON quality.results (created_at);

CREATE TABLE quality.recommendations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id bigint NOT NULL REFERENCES quality.jobs, source_id bigint NOT NULL REFERENCES catalog.sources,
  level text NOT NULL, content text NOT NULL, scope jsonb NOT NULL);
INSERT INTO quality.recommendations (job_id, source_id, level, content, scope)
SELECT 1 + g % ${n("jobs")}, 1 + (g % ${n("jobs")}) % ${n("sources")}, (ARRAY['info','warning','high'])[1 + g % 3],
  'Column ' || pg_temp.words(1) || ' has ' || g % 97 || '% ' || pg_temp.words(6 + g % 10),
  jsonb_build_object('column', pg_temp.words(1), 'rule', md5(g::text))
FROM generate_series(1, ${n("recommendations")}) g;
CREATE INDEX ON quality.recommendations (job_id); CREATE INDEX ON quality.recommendations (level);

CREATE TABLE quality.logs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id bigint NOT NULL REFERENCES quality.jobs, ts timestamptz NOT NULL, level text NOT NULL, message text NOT NULL);
INSERT INTO quality.logs (job_id, ts, level, message)
SELECT 1 + g % ${n("jobs")}, timestamptz '2024-03-01' + g * interval '9 seconds', (ARRAY['INFO','INFO','INFO','DEBUG','WARNING','ERROR'])[1 + g % 6],
  'worker-' || g % 12 || ' step ' || g % 9 || ': ' || pg_temp.words(5 + g % 25) || ' (' || md5(g::text) || ')'
FROM generate_series(1, ${n("logs")}) g;
CREATE INDEX ON quality.logs (job_id); CREATE INDEX ON quality.logs (ts);

GRANT USAGE ON SCHEMA platform, catalog, quality TO qalita_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA platform, catalog, quality TO qalita_readonly;
RESET ROLE;
`,
        db,
    );
    await cluster.psql("VACUUM ANALYZE", db);
}

export interface TableFingerprint {
    rows: number;
    checksum: string;
}

/**
 * Row count and content checksum of every user table (`schema.table` → fingerprint). The checksum
 * is over sorted per-row md5s, so it does not depend on physical row order after a restore.
 */
export async function tableFingerprints(cluster: PgCluster, db: string): Promise<Record<string, TableFingerprint>> {
    const tables = (
        await cluster.psql(
            `
        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
        ORDER BY 1`,
            db,
        )
    )
        .split("\n")
        .filter(Boolean);
    if (tables.length === 0) return {};
    const query = tables
        .map(
            (t) =>
                `SELECT '${t.replace(/'/g, "''")}', count(*), ` +
                `md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(r::text) AS h FROM ${t} r) s`,
        )
        .join("\nUNION ALL ");
    const out: Record<string, TableFingerprint> = {};
    for (const line of (await cluster.psql(query, db)).split("\n")) {
        const [table, rows, checksum] = line.split("|");
        out[table] = { rows: Number(rows), checksum };
    }
    return out;
}
