/**
 * The `?desk=` of the widget's public routes (form, look, stickers, status stream): the desk id
 * (default `support`), or undefined once a 400 naming the parameter has been sent.
 */
import type { Request, Response } from 'express';

const DESK_ID = /^[a-z0-9._-]{1,64}$/;

export function deskQuery(req: Request, res: Response): string | undefined {
  const desk = typeof req.query.desk === 'string' ? req.query.desk : 'support';
  if (DESK_ID.test(desk)) return desk;
  res.status(400).json({ error: 'desk: expected a desk id (a-z, 0-9, . _ -)' });
  return undefined;
}
