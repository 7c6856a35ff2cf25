-- Drives Neovim headless for test/editors/neovim.test.ts, after the README's configuration:
-- opens the policy ($IAM_POLICY_FILE), waits for the server's diagnostics, asks for the code
-- actions at the first one, applies the one titled $IAM_POLICY_ACTION, waits for the
-- diagnostics to go, and writes what happened as JSON to $IAM_POLICY_RESULT. Neovim 0.7+.
local result = { diagnostics = {}, actions = {}, after = {} }

local function finish()
  local file = io.open(vim.env.IAM_POLICY_RESULT, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qall!')
end

local ok, problem = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.IAM_POLICY_FILE))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  if not vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    error('no diagnostics within 20 s; clients: ' .. vim.inspect(vim.tbl_map(function(c) return c.name end, vim.lsp.get_active_clients())))
  end
  local diagnostics = vim.diagnostic.get(buf)
  for _, d in ipairs(diagnostics) do
    table.insert(result.diagnostics, { code = d.code, source = d.source, message = d.message, line = d.lnum, col = d.col })
  end
  local first = diagnostics[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } },
    context = {
      diagnostics = vim.tbl_map(function(d)
        return {
          range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
          message = d.message, code = d.code, source = d.source, severity = d.severity,
        }
      end, diagnostics),
    },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000) or {}
  local chosen
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if action.title == vim.env.IAM_POLICY_ACTION then chosen = action end
    end
  end
  if chosen == nil then error('no code action titled ' .. vim.env.IAM_POLICY_ACTION) end
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(result.after, d.code) end
  result.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end)
if not ok then result.error = tostring(problem) end
finish()
