import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { noteKinds } from '../../../domain/contact-case.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { text } from '../../common/text.js';
import { commandRoute } from './route.js';

export class NoteDto extends createZodDto(
  z
    .strictObject({
      text: text(1, 5000),
      kind: z
        .enum(noteKinds)
        .optional()
        .meta({ default: 'general', description: "`victim-update`: the victim was told of progress (meets the Victims' Code clocks)" }),
    }),
) {}

export const addNoteRoute = commandRoute({
  name: 'addNote',
  path: 'notes',
  permission: Permission.ContactAddNote,
  summary: 'Add a note to the case',
  body: NoteDto,
  given: (body) => ({ command: { type: 'add-note', text: body.text, kind: body.kind } }),
});
