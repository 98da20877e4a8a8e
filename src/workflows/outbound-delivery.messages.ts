/** The outbound delivery workflow's contract: one workflow per reply or post that goes out to a platform. */
export const outboundDeliveryWorkflowType = 'outboundDeliveryWorkflow';

export interface OutboundDeliveryInput {
  /**
   * A reply on a case's conversation (a `case_message` row), a post from the media team (a
   * `social_media_post` row), or a satisfaction survey's invitation (a `satisfaction_survey` row).
   */
  kind: 'reply' | 'post' | 'survey';
  /** The row's id: the words are read from the case store, never carried here. */
  id: string;
}

export const outboundDeliveryWorkflowId = (input: OutboundDeliveryInput) => `outbound-${input.kind}-${input.id}`;

/** The activities the delivery workflow calls, as it sees them; the worker's provider implements them. */
export interface OutboundDeliveryActivities {
  /** Sends the message through the platform adapter; throws (and is retried) until the platform takes it. */
  deliverOutbound(input: OutboundDeliveryInput): Promise<void>;
  /** Records that delivery was given up (after a day of tries): the message shows `failed`. */
  markOutboundFailed(input: OutboundDeliveryInput & { reason: string }): Promise<void>;
}
