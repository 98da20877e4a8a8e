import { Body, Controller, Get, Header, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type Response } from 'express';
import { text } from '../../domain/fields.js';
import { type Rating, ratingLabels, ratings, SURVEY_COMMENT_MAX } from '../../domain/satisfaction.js';
import { SatisfactionSurveys, type SurveyAnswerResult } from '../../modules/satisfaction/satisfaction.service.js';
import { Public } from '../access/access.decorators.js';

/** An answer as the page's form sends it (form fields are text: the rating is read as a number). */
export class SurveyAnswerDto extends createZodDto(
  z.strictObject({
    rating: z.coerce.number().int().min(1).max(5),
    comment: text(0, SURVEY_COMMENT_MAX).optional(),
  }),
) {}

const shell = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;

const form = (token: string, expiresAt: Date) =>
  shell(
    'How did we do?',
    `<p>You contacted the police recently. Please tell us how it went: it takes a minute, and you can answer once, until ${expiresAt.toUTCString()}.</p>
<form method="post" action="/survey/${token}">
<fieldset>
<legend>How satisfied are you with how your contact was handled?</legend>
${ratings.map((rating) => `<div><input type="radio" id="rating-${rating}" name="rating" value="${rating}" required><label for="rating-${rating}">${ratingLabels[rating]}</label></div>`).join('\n')}
</fieldset>
<p><label for="comment">Anything you would like to tell us (optional; please do not include personal details)</label><br>
<textarea id="comment" name="comment" rows="5" cols="60" maxlength="${SURVEY_COMMENT_MAX}"></textarea></p>
<p><button type="submit">Send</button></p>
</form>`,
  );

/** What each outcome of a link says, and its status. */
const outcomes: Record<Exclude<SurveyAnswerResult, 'taken'> | 'open-form', { status: number; title: string; text: string }> = {
  'answered-before': { status: 409, title: 'Already answered', text: 'This survey has been answered. Thank you: each survey takes one answer.' },
  expired: { status: 410, title: 'This survey has closed', text: 'This survey is no longer open. Thank you for contacting us.' },
  unknown: { status: 404, title: 'Survey not found', text: 'This link is not one of our surveys. Please check it was copied in full.' },
  'open-form': { status: 200, title: '', text: '' },
};

/**
 * The satisfaction survey's public page (`/survey/<link>`): no account, one answer per link, until
 * it expires. It shows nothing about the case or the caller, and never shows back what was written.
 */
@ApiExcludeController()
@Controller('survey')
export class SurveyPageController {
  constructor(private readonly surveys: SatisfactionSurveys) {}

  @Get(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const link = await this.surveys.open(token);
    if (link.state === 'open') return form(token, link.expiresAt);
    const outcome = outcomes[link.state === 'answered' ? 'answered-before' : link.state];
    response.status(outcome.status);
    return shell(outcome.title, `<p>${outcome.text}</p>`);
  }

  @Post(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async answer(@Param('token') token: string, @Body() body: SurveyAnswerDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const comment = body.comment?.trim() ? body.comment.trim() : null;
    const result = await this.surveys.answer(token, body.rating as Rating, comment);
    if (result === 'taken') {
      response.status(201);
      return shell('Thank you', '<p>Your answer has been recorded. It helps us improve how we handle contacts from the public.</p>');
    }
    const outcome = outcomes[result];
    response.status(outcome.status);
    return shell(outcome.title, `<p>${outcome.text}</p>`);
  }
}
