import type { LiveClientToServer, LiveInterServer, LiveServerToClient } from '@ioc/shared';
import type { Namespace, Socket } from 'socket.io';

export type LiveNamespace = Namespace<LiveClientToServer, LiveServerToClient, LiveInterServer>;
export type LiveSocket = Socket<LiveClientToServer, LiveServerToClient, LiveInterServer>;
