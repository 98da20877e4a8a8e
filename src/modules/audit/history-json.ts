import proto from '@temporalio/proto';

/** A CommonJS package: reached through its default export under native ESM. */
const { History } = proto.temporal.api.history.v1;
export type HistoryMessage = proto.temporal.api.history.v1.IHistory;

/**
 * A history as plain JSON (64-bit numbers and enums as strings, bytes in base64) and back, with
 * the proto package's own classes. (The SDK's `historyToJSON` goes through a second copy of
 * protobufjs that npm installs beside it, and refuses these messages.)
 */
export const historyToPlain = (history: HistoryMessage): object =>
  History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });

export const historyFromPlain = (plain: unknown): proto.temporal.api.history.v1.History => History.fromObject(plain as Record<string, unknown>);
