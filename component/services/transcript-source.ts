/** The evidence log's transcripts (component/evidence/transcripts.ts), as the services use them. */
import type { TranscriptLine } from '../../src/evidence/transcript.js';

export interface TranscriptSource {
  forTicket(ticketId: number, opts?: { audience?: 'customer' }): Promise<TranscriptLine[]>;
}
export type { TranscriptLine };
