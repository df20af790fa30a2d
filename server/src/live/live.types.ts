import type { LiveClientToServer, LiveInterServer, LiveServerToClient } from '@ioc/shared';
import type { Namespace, Socket } from 'socket.io';
import type { AuthedPrincipal } from '../auth/auth.types.js';

/** What the server keeps on a connection: who it is (checked at the handshake) and its resync pacing. */
export interface LiveSocketData {
  principal: AuthedPrincipal;
  resyncAt?: Map<string, number>;
}
export type LiveNamespace = Namespace<LiveClientToServer, LiveServerToClient, LiveInterServer, LiveSocketData>;
export type LiveSocket = Socket<LiveClientToServer, LiveServerToClient, LiveInterServer, LiveSocketData>;

/** Rooms are named after topics (`view|scope|period`); socket ids never contain `|`. */
export const isTopic = (room: string): boolean => room.includes('|');

/** The topics this process's clients hold. */
export function heldTopics(nsp: LiveNamespace): string[] {
  const out: string[] = [];
  for (const [room, sockets] of nsp.adapter.rooms) if (sockets.size > 0 && isTopic(room)) out.push(room);
  return out;
}
