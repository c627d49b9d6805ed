/** Injection tokens shared by every service's module: the same ports, one adapter per profile. */
export const EVENT_STORE = 'EVENT_STORE';
/** The read store of a service: MongoDB (MONGODB_URL) or in memory (mingo). */
export const READ_STORE = 'READ_STORE';
/** The service's name (`community-establishment`, ...): its data file, topic and read database. */
export const SERVICE_NAME = 'SERVICE_NAME';
/** A factory `(store: EventStore) => Projection` of the service's read models. */
export const PROJECTION_FACTORY = 'PROJECTION_FACTORY';
/** The inbox of the service's consumers: the StorageProfile's `inbox`. */
export const CONSUMER_INBOX = 'CONSUMER_INBOX';
/** The service's StorageProfile (storageProviders): every storage part from one adapter family. */
export const STORAGE = 'STORAGE';
