import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type AuthOptions, REFRESH_COOKIE, SIGNED_IN_HINT_COOKIE, type SessionUser, type TokenResponse, formatScope } from '@ioc/shared';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Access } from '../common/access-policy.js';
import { type AuthedRequest, ClientInfo, CurrentUser } from './access.decorator.js';
import { AuthService, type SignedIn } from './auth.service.js';
import type { AuthedPrincipal, Client } from './auth.types.js';
import { UsersService } from './users.service.js';

const COOKIE_PATH = '/api/v1/auth';

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Get('options')
  @Access('public')
  @ApiOperation({ summary: 'What the sign-in page shows before sign-in: the demo accounts, in demo mode only' })
  options(): AuthOptions {
    return { demoAccounts: this.users.demoAccounts() };
  }

  @Post('sign-in')
  @HttpCode(200)
  @Access('public')
  @ApiOperation({
    summary: 'Sign in with a username and password',
    description:
      'Answers a short-lived bearer access token and sets the refresh token in an HTTP-only cookie. ' +
      'Repeated wrong passwords lock the account for a while (429), and each address has a rate of attempts.',
  })
  @ApiResponse({ status: 401, description: 'Wrong username or password' })
  @ApiResponse({ status: 429, description: 'Locked after repeated failures, or too many attempts from this address (Retry-After)' })
  async signIn(@Body() body: unknown, @ClientInfo() client: Client, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    return this.withCookie(res, await this.auth.signIn(body, client));
  }

  @Post('refresh')
  @HttpCode(200)
  @Access('public')
  @ApiOperation({
    summary: 'A new access token for the sign-in of the refresh cookie, and a new refresh cookie',
    description:
      'Every refresh replaces the refresh token (Set-Cookie). Presenting a replaced token again ends the whole sign-in ' +
      '(401 with details.reason "reused"), except within 10 s of its replacement, when it answers the same new token again.',
  })
  @ApiResponse({ status: 401, description: 'No, unknown, expired, ended or reused refresh token; details.reason says which' })
  async refresh(@Req() req: AuthedRequest, @ClientInfo() client: Client, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    return this.withCookie(res, await this.auth.refresh(cookieOf(req), client));
  }

  @Post('sign-out')
  @HttpCode(204)
  @Access('public')
  @ApiOperation({ summary: 'Ends the sign-in of the refresh cookie (or of the bearer token) and clears the cookie' })
  async signOut(@Req() req: AuthedRequest, @ClientInfo() client: Client, @Res({ passthrough: true }) res: Response): Promise<void> {
    const principal = req.headers.authorization ? await this.auth.authenticate(req.headers.authorization).catch(() => undefined) : undefined;
    await this.auth.signOut(cookieOf(req), principal, client);
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: this.config.auth.secureCookies, sameSite: 'strict' });
    res.clearCookie(SIGNED_IN_HINT_COOKIE, { path: '/', secure: this.config.auth.secureCookies, sameSite: 'strict' });
  }

  private withCookie(res: Response, s: SignedIn): TokenResponse {
    res.cookie(REFRESH_COOKIE, s.refreshToken, {
      httpOnly: true,
      secure: this.config.auth.secureCookies,
      sameSite: 'strict',
      path: COOKIE_PATH,
      expires: s.refreshExpires,
    });
    res.cookie(SIGNED_IN_HINT_COOKIE, '1', { secure: this.config.auth.secureCookies, sameSite: 'strict', path: '/', expires: s.refreshExpires });
    return s.response;
  }

  @Get('me')
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account: name, role and scope' })
  me(@CurrentUser() p: AuthedPrincipal): SessionUser {
    return this.auth.sessionUser({ id: p.userId, username: p.username, displayName: p.displayName, role: p.role, scope: formatScope(p.scope) });
  }

  @Post('password')
  @HttpCode(204)
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Changes one's own password ({currentPassword, newPassword}); other sign-ins of the account end" })
  changePassword(@CurrentUser() p: AuthedPrincipal, @Body() body: unknown, @ClientInfo() client: Client): Promise<void> {
    return this.auth.changePassword(p, body, client);
  }
}

function cookieOf(req: AuthedRequest): string | undefined {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
