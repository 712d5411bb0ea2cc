import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the current request came from, for audit events written deep inside services. */
export interface RequestMeta {
  ipAddress: string;
  requestId: string;
}

export const requestMetaStorage = new AsyncLocalStorage<RequestMeta>();

export const currentRequestMeta = (): RequestMeta | undefined => requestMetaStorage.getStore();
