/**
 * The vocabulary of user messages, as Cinder numbers it
 * (cinder/message/message_field.py): what was being done (action), what
 * went wrong (detail), and the event id clients match on,
 * `VOLUME_<resource>_<action>_<detail>`. Codes and wording must stay
 * Cinder's: scripts and dashboards compare them.
 */

export interface MessageField {
  id: string;
  text: string;
}

const field = (id: string, text: string): MessageField => ({ id, text });

export const MessageAction = {
  scheduleAllocateVolume: field('001', 'schedule allocate volume'),
  attachVolume: field('002', 'attach volume'),
  copyVolumeToImage: field('003', 'copy volume to image'),
  updateAttachment: field('004', 'update attachment'),
  copyImageToVolume: field('005', 'copy image to volume'),
  unmanageVolume: field('006', 'unmanage volume'),
  extendVolume: field('007', 'extend volume'),
} as const;

export const MessageDetail = {
  unknownError: field('001', 'An unknown error occurred.'),
  driverNotInitialized: field('002', 'Driver is not initialized at present.'),
  noBackendAvailable: field('003', 'Could not find any available weighted backend.'),
  failedToUploadVolume: field('004', 'Failed to upload volume to image at backend.'),
  volumeAttachModeInvalid: field('005', "Volume's attach mode is invalid."),
  quotaExceed: field('006', 'Not enough quota resource for operation.'),
  notEnoughSpaceForImage: field('007', 'Image used for creating volume exceeds available space.'),
  unmanageEncNotSupported: field('008', 'Unmanaging encrypted volumes is not supported.'),
  notifyComputeServiceFailed: field('009', 'Compute service failed to extend volume.'),
  driverFailedExtend: field('010', 'Volume Driver failed to extend volume.'),
  signatureVerificationFailed: field('011', 'Image signature verification failed.'),
} as const;

/** The resource kinds a message may be about (Cinder has only volumes). */
export const MessageResource = { volume: 'VOLUME' } as const;

export function eventId(resourceType: string, action: MessageField, detail: MessageField): string {
  return `VOLUME_${resourceType}_${action.id}_${detail.id}`;
}

/** The text a reader sees: Cinder joins the action's and the detail's wording with a colon. */
export function userMessage(actionId: string, detailId: string): string {
  const action = Object.values(MessageAction).find((a) => a.id === actionId)?.text ?? 'unknown action';
  const detail = Object.values(MessageDetail).find((d) => d.id === detailId)?.text ?? MessageDetail.unknownError.text;
  return `${action}:${detail}`;
}
