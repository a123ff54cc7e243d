-- SPDX-License-Identifier: Apache-2.0
-- The layout before the split store SPI (main at 432d8ad); the tests check that it is refused.
-- Sessionkit JDBC session store: schema for MariaDB 10.6 or later and MySQL 8.0 or later (InnoDB).
--
-- Every name starts with the table prefix "sessionkit_"; JdbcSessionStore.createSchema() runs this
-- script with the configured prefix in its place. Running it again changes nothing (indexes are
-- declared inside CREATE TABLE, because MySQL has no CREATE INDEX IF NOT EXISTS).
-- Times are epoch milliseconds (UTC); durations are milliseconds. No token or remember-me
-- validator is ever stored: token_hash and the validator columns hold their SHA-256 hashes.
--
-- Ids, principals and attribute names are VARBINARY (UTF-8 bytes): they compare exactly, whatever
-- the server's default collation, which may ignore case ("alice" = "Alice") or trailing spaces.

CREATE TABLE IF NOT EXISTS sessionkit_sessions (
  session_id            VARBINARY(64)   NOT NULL,
  token_hash            VARBINARY(32)   NOT NULL,
  principal             VARBINARY(1024),
  created_at            BIGINT          NOT NULL,
  authenticated_at      BIGINT          NOT NULL,
  authentication_method VARCHAR(32) CHARACTER SET ascii,
  last_accessed_at      BIGINT          NOT NULL,
  idle_timeout          BIGINT          NOT NULL,
  absolute_deadline     BIGINT          NOT NULL,
  expires_at            BIGINT          NOT NULL,
  remember_me_selector  VARBINARY(64),
  client_address        VARCHAR(64),
  user_agent            VARCHAR(256),
  CONSTRAINT sessionkit_sessions_pk PRIMARY KEY (session_id),
  CONSTRAINT sessionkit_sessions_token_hash_uk UNIQUE (token_hash),
  INDEX sessionkit_sessions_principal_ix (principal),
  INDEX sessionkit_sessions_expires_at_ix (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS sessionkit_session_attributes (
  session_id      VARBINARY(64)  NOT NULL,
  attribute_name  VARBINARY(800) NOT NULL,
  attribute_value MEDIUMBLOB     NOT NULL,
  CONSTRAINT sessionkit_session_attributes_pk PRIMARY KEY (session_id, attribute_name),
  CONSTRAINT sessionkit_session_attributes_session_fk FOREIGN KEY (session_id)
    REFERENCES sessionkit_sessions (session_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS sessionkit_remember_me_series (
  selector                VARBINARY(64)   NOT NULL,
  principal               VARBINARY(1024) NOT NULL,
  validator_hash          VARBINARY(32)   NOT NULL,
  previous_validator_hash VARBINARY(32),
  previous_valid_until    BIGINT          NOT NULL,
  created_at              BIGINT          NOT NULL,
  expires_at              BIGINT          NOT NULL,
  last_used_at            BIGINT          NOT NULL,
  CONSTRAINT sessionkit_remember_me_series_pk PRIMARY KEY (selector),
  INDEX sessionkit_remember_me_series_principal_ix (principal),
  INDEX sessionkit_remember_me_series_expires_at_ix (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
