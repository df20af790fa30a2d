import { parentPort, workerData } from 'node:worker_threads';
import { type DayAnswer, type DayRequest, type HistoryDaysInput, generateDay } from './history-days.js';
import { DemoSimulator } from './simulator/index.js';

/** The demo history's days, generated on their own thread (see HistoryDays). */
const input = workerData as HistoryDaysInput;
const sim = new DemoSimulator(input.units, input.provinces, input.options);
parentPort!.on('message', (r: DayRequest) => {
  let answer: DayAnswer;
  try {
    answer = { id: r.id, ok: true, day: generateDay(sim, r.from, r.until) };
  } catch (e) {
    answer = { id: r.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(answer);
});
