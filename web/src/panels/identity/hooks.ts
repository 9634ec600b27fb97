/** The Identity panels' reads and changes, over the Keystone collections of api/identity. */
import { useAction, useApi } from '../../api/hooks';
import { changeResource, COLLECTIONS, type Change, type Collection } from '../../api/identity';

/** `GET /v3/{collection}`, the rows under Keystone's plural key. */
export function useList<T>(collection: Collection, query = '') {
  const list = useApi<Record<string, T[]>>('identity', `/${collection}${query}`);
  return { rows: list.data?.[collection], error: list.error };
}

/** `GET /v3/{collection}/{id}`, the resource under Keystone's singular key. */
export function useOne<T>(collection: Collection, id: string) {
  const one = useApi<Record<string, T>>('identity', `/${collection}/${id}`);
  return { resource: one.data?.[COLLECTIONS[collection]], error: one.error };
}

/** Create, update or delete in `collection`; every cached Keystone list is read again after it. */
export function useChange(collection: Collection) {
  return useAction(['identity'], (session, change: Change) => changeResource(session, collection, change));
}
