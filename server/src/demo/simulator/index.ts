export type { UnitProfile } from './calibration.js';
export { type Delivery, SIM_MAX_LIFECYCLE_MS } from './delivery.js';
export { DemoSimulator } from './demo-simulator.js';
export { type FeedbackDelivery, SIM_FEEDBACK_DUE_DAYS, SIM_FEEDBACK_LIFECYCLE_MS } from './feedback.js';
export { DEMO_REPORTING_PROVINCES, type DemoReportedValue, demoReportedValues } from './reported-values.js';
export type { SimProvince, SimUnit, SimulatorOptions } from './types.js';
