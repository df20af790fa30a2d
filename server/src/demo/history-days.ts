import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DossierEvent, FeedbackEvent } from '@ioc/shared';
import { recordsOfDeliveries } from './history-records.js';
import { DemoSimulator, type SimProvince, type SimUnit, type SimulatorOptions } from './simulator/index.js';

/** One receipt day of the demo's history, ready to import. */
export interface GeneratedDay {
  /** The day's dossier records as NDJSON, a few thousand lines a piece. */
  lines: string[];
  records: number;
  /** Events of dossiers whose receipt was not delivered yet: sent as events. */
  strays: DossierEvent[];
  /** The day's citizen feedback (dossier records hold none): sent as events. */
  feedback: FeedbackEvent[];
}

export interface HistoryDaysInput {
  units: SimUnit[];
  provinces: SimProvince[];
  options: SimulatorOptions;
}

export interface DayRequest {
  id: number;
  from: number;
  until: number;
}
export type DayAnswer = { id: number; ok: true; day: GeneratedDay } | { id: number; ok: false; error: string };

const LINES_PER_PIECE = 5000;

/** A receipt day's records and events, from a simulator (deterministic: any instance with the same input gives the same). */
export function generateDay(sim: DemoSimulator, from: number, until: number): GeneratedDay {
  const day = recordsOfDeliveries(sim.receivedOn(from, until));
  const lines: string[] = [];
  for (let i = 0; i < day.records.length; i += LINES_PER_PIECE) {
    lines.push(
      day.records
        .slice(i, i + LINES_PER_PIECE)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
  }
  return { lines, records: day.records.length, strays: day.strays, feedback: sim.feedbackReceivedOn(from, until).map((d) => d.event) };
}

/**
 * Generates the history's days off the main thread: simulating a national day takes
 * seconds of CPU, which on the server's thread would hold back every request and the
 * live stream meanwhile (and a Ctrl-C). The worker builds its own simulator from the
 * same input. Where the compiled worker is not there (the server run from its
 * TypeScript sources, as the tests do), days are generated on this thread.
 */
export class HistoryDays {
  private worker: Worker | null = null;
  private local: DemoSimulator | null = null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (d: GeneratedDay) => void; reject: (e: Error) => void }>();

  constructor(private readonly input: HistoryDaysInput) {
    const file = fileURLToPath(new URL('./history-worker.js', import.meta.url));
    if (!existsSync(file)) return;
    const worker = new Worker(file, { workerData: input });
    worker.unref();
    worker.on('message', (a: DayAnswer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (a.ok) p.resolve(a.day);
      else p.reject(new Error(a.error));
    });
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the history worker stopped (exit code ${code})`)));
    this.worker = worker;
  }

  day(from: number, until: number): Promise<GeneratedDay> {
    const worker = this.worker;
    if (!worker) {
      this.local ??= new DemoSimulator(this.input.units, this.input.provinces, this.input.options);
      return Promise.resolve(generateDay(this.local, from, until));
    }
    const id = this.next++;
    return new Promise<GeneratedDay>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, from, until } satisfies DayRequest);
    });
  }

  /** Stops the worker; a day being generated is dropped (it is generated again at the next start). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
