/** A commune-level unit the simulator generates dossiers for. */
export interface SimUnit {
  code: string;
  name: string;
  type: 'xã' | 'phường' | 'đặc khu';
  provinceCode: string;
  areaKm2: number;
}
/** A province: its population scales its units' volumes. */
export interface SimProvince {
  code: string;
  name: string;
  population: number;
}
export interface SimulatorOptions {
  seed: number;
  /** Share of events delivered twice (same eventId). Default 0.002. */
  duplicateRate?: number;
  /**
   * Units whose one-stop system exports every event as it occurs to a store-and-forward
   * relay (the demo's real relays): their link's outages hold events in the relay's spool,
   * so the simulator does not hold them back itself.
   */
  relayed?: readonly string[];
}
