using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenGov.DataStore;

/// <summary>
/// datastore_search_sql: accepts one read-only SELECT over DataStore tables only, then runs it in a read-only
/// transaction (PostgreSQL) or on a read-only connection to datastore.db (SQLite), with a time limit and a row cap.
/// </summary>
public static class DataStoreSqlGuard
{
    private static readonly HashSet<string> Forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "insert", "update", "delete", "merge", "upsert", "replace", "drop", "alter", "create", "truncate", "grant", "revoke",
        "copy", "attach", "detach", "pragma", "vacuum", "analyze", "reindex", "into", "execute", "call", "do", "lock",
        "set", "reset", "listen", "notify", "load", "prepare", "deallocate", "declare", "fetch", "move", "begin", "commit",
        "rollback", "savepoint", "release", "returning", "for", "dblink", "query_to_xml", "table_to_xml", "cursor_to_xml",
        "database_to_xml", "schema_to_xml", "query_to_xml_and_xmlschema", "current_setting", "set_config", "load_extension",
        "readfile", "writefile", "fts3_tokenizer", "zeroblob", "randomblob", "information_schema", "sqlite_master", "sqlite_schema",
        "version", "current_user", "session_user", "user", "generate_series",
    };

    /// <summary>Checks the statement; returns the DataStore tables it reads. Throws <see cref="DataStoreValidationException"/>.</summary>
    public static IReadOnlyList<string> Check(string sql, IReadOnlySet<string> tables)
    {
        var tokens = Tokenize(sql);
        if (tokens.Count == 0 || !tokens[0].Is("select"))
        {
            throw new DataStoreValidationException("sql", "Only a single SELECT statement is allowed");
        }

        var used = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.Word && (Forbidden.Contains(t.Text) || t.Text.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) || t.Text.StartsWith("lo_", StringComparison.OrdinalIgnoreCase) || t.Text.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)))
            {
                throw new DataStoreValidationException("sql", $"Not allowed in datastore_search_sql: {t.Text}");
            }

            if (t.Kind == TokenKind.QuotedIdent && (t.Text.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) || t.Text.StartsWith('_')))
            {
                throw new DataStoreValidationException("sql", $"Not allowed in datastore_search_sql: \"{t.Text}\"");
            }

            if (t.Kind == TokenKind.Word && (t.Is("from") || t.Is("join")))
            {
                var j = i + 1;
                while (true)
                {
                    if (j >= tokens.Count)
                    {
                        throw new DataStoreValidationException("sql", "Missing table after FROM/JOIN");
                    }

                    var name = tokens[j];
                    if (name.Kind == TokenKind.Punct && name.Text == "(")
                    {
                        break; // a subquery: its own FROM is checked when reached
                    }

                    if (name.Kind is not (TokenKind.QuotedIdent or TokenKind.Word) || !tables.Contains(name.Text))
                    {
                        throw new DataStoreValidationException("sql", $"Table \"{name.Text}\" is not a DataStore resource");
                    }

                    if (j + 1 < tokens.Count && tokens[j + 1].Kind == TokenKind.Punct && tokens[j + 1].Text is "." or "(")
                    {
                        throw new DataStoreValidationException("sql", "Qualified names and table functions are not allowed");
                    }

                    used.Add(name.Text);
                    // skip an alias, then continue after a comma (FROM a, b)
                    j++;
                    if (j < tokens.Count && tokens[j].Is("as"))
                    {
                        j++;
                    }

                    if (j < tokens.Count && tokens[j].Kind is TokenKind.Word or TokenKind.QuotedIdent && !IsClauseWord(tokens[j]))
                    {
                        j++;
                    }

                    if (j < tokens.Count && tokens[j].Kind == TokenKind.Punct && tokens[j].Text == ",")
                    {
                        j++;
                        continue;
                    }

                    break;
                }
            }
        }

        if (used.Count == 0)
        {
            throw new DataStoreValidationException("sql", "The statement must read a DataStore table");
        }

        return used.Distinct().ToList();
    }

    private static bool IsClauseWord(Token t) => t.Kind == TokenKind.Word && t.Text.ToLowerInvariant() is
        "where" or "group" or "order" or "limit" or "offset" or "join" or "left" or "right" or "inner" or "outer" or "full"
        or "cross" or "natural" or "on" or "using" or "union" or "intersect" or "except" or "having" or "window";

    private enum TokenKind
    {
        Word,
        QuotedIdent,
        String,
        Number,
        Punct,
    }

    private sealed record Token(TokenKind Kind, string Text)
    {
        public bool Is(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    }

    private static List<Token> Tokenize(string sql)
    {
        var list = new List<Token>();
        var i = 0;
        while (i < sql.Length)
        {
            var ch = sql[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }

            if (ch == ';')
            {
                throw new DataStoreValidationException("sql", "Only a single statement is allowed (no ';')");
            }

            if ((ch == '-' && i + 1 < sql.Length && sql[i + 1] == '-') || (ch == '/' && i + 1 < sql.Length && sql[i + 1] == '*'))
            {
                throw new DataStoreValidationException("sql", "Comments are not allowed");
            }

            if (ch == '$' || ch == '\\' || ch == '`' || ch == '[')
            {
                throw new DataStoreValidationException("sql", $"Character '{ch}' is not allowed");
            }

            if (ch is '\'' or '"')
            {
                var sb = new StringBuilder();
                var q = ch;
                i++;
                while (true)
                {
                    if (i >= sql.Length)
                    {
                        throw new DataStoreValidationException("sql", "Unterminated quote");
                    }

                    if (sql[i] == q)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == q)
                        {
                            sb.Append(q);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(sql[i++]);
                }

                list.Add(new Token(q == '"' ? TokenKind.QuotedIdent : TokenKind.String, sb.ToString()));
                continue;
            }

            if (char.IsLetter(ch) || ch == '_')
            {
                var s = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                // E'...' and U&'...' escape strings: refuse (they change quoting rules)
                if (i < sql.Length && sql[i] is '\'' or '&')
                {
                    throw new DataStoreValidationException("sql", "Prefixed string literals are not allowed");
                }

                list.Add(new Token(TokenKind.Word, sql[s..i]));
                continue;
            }

            if (char.IsDigit(ch))
            {
                var s = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '.'))
                {
                    i++;
                }

                list.Add(new Token(TokenKind.Number, sql[s..i]));
                continue;
            }

            list.Add(new Token(TokenKind.Punct, ch.ToString()));
            i++;
        }

        return list;
    }

    /// <summary>Runs a checked statement: read-only, time-limited, at most <paramref name="maxRows"/> rows.</summary>
    public static async Task<JsonObject> RunAsync(DataStoreStorage storage, string sql, int timeoutMs, int maxRows, CancellationToken ct)
    {
        await using var c = await storage.OpenAsync(ct, readOnly: true);
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            await using var guard = await storage.Backend.BeginGuardedQueryAsync(c, timeoutMs, timeout.Token, ct);
            var tx = guard.Transaction;
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            var records = new JsonArray();
            var fields = new JsonArray();
            var truncated = false;
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    fields.Add(new JsonObject { ["id"] = r.GetName(i), ["type"] = TypeName(r.GetDataTypeName(i)) });
                }

                while (await r.ReadAsync(ct))
                {
                    if (records.Count >= maxRows)
                    {
                        truncated = true;
                        break;
                    }

                    var row = new JsonObject();
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        var v = r.IsDBNull(i) ? null : r.GetValue(i);
                        row[r.GetName(i)] = v switch
                        {
                            DateTime d => DsTypes.IsoTimestamp(d),
                            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                            int n => n,
                            short n => n,
                            float f => (double)f,
                            byte[] => "<binary>",
                            _ => DsTypes.ToJson(v),
                        };
                    }

                    records.Add(row);
                }
            }

            if (tx is not null)
            {
                await tx.RollbackAsync(ct);
            }

            var result = new JsonObject { ["sql"] = sql, ["fields"] = fields, ["records"] = records };
            if (truncated)
            {
                result["records_truncated"] = true;
            }

            return result;
        }
        catch (DbException e) when (storage.Backend.QueryError(e) is { } error)
        {
            throw error;
        }
    }

    private static string TypeName(string dbType) => DsTypes.Canonical(dbType) ?? dbType.ToLowerInvariant() switch
    {
        "integer" or "int4" or "int8" => "int",
        "" => "text",
        var other => other,
    };
}
