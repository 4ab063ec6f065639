-- Optional Cloudflare Turnstile per site: the secret stays here, the public site key
-- lives in the site's config.
ALTER TABLE sites ADD COLUMN turnstile_secret TEXT;
