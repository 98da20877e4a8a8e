/**
 * Who did something: the staff member's identity-provider subject and the role that allowed it.
 * Carried into every workflow command and stored with every record.
 */
export interface ActorRef {
  subject: string;
  role: string;
}
