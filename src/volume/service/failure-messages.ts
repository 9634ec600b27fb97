/**
 * Which user message a failed volume task leaves (Cinder's
 * EXCEPTION_DETAIL_MAPPINGS and the places its flows record one): a create
 * no backend could take, an image that could not be copied in, a failed
 * extend or upload. Other failures leave only the volume's error status.
 */
import { ImageTooLarge } from '../drivers/index.js';
import type { CreatePayload } from './deps.js';
import { MessageAction, MessageDetail, type MessageField } from './message-fields.js';
import { PermanentTaskError } from '../../core/tasks/index.js';

/** The scheduler found no backend for the volume (Cinder's NoValidBackend). */
export class NoValidBackend extends PermanentTaskError {
  constructor(reason: string) {
    super(`No valid backend was found. ${reason}`);
    this.name = 'NoValidBackend';
  }
}

export interface FailureMessage {
  action: MessageField;
  detail: MessageField;
}

export function createFailureMessage(source: CreatePayload['source'], error: Error): FailureMessage | null {
  if (error instanceof NoValidBackend) return { action: MessageAction.scheduleAllocateVolume, detail: MessageDetail.noBackendAvailable };
  if (source.kind !== 'image') return null;
  const tooLarge = error.cause instanceof ImageTooLarge || error instanceof ImageTooLarge;
  return { action: MessageAction.copyImageToVolume, detail: tooLarge ? MessageDetail.notEnoughSpaceForImage : MessageDetail.unknownError };
}

export const EXTEND_FAILED: FailureMessage = { action: MessageAction.extendVolume, detail: MessageDetail.driverFailedExtend };
export const UPLOAD_FAILED: FailureMessage = { action: MessageAction.copyVolumeToImage, detail: MessageDetail.failedToUploadVolume };
