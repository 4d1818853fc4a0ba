-- Headless Neovim (0.7+) smoke test of the language server over stdio, with a second real LSP client.
-- Opened on Conf/Jobs.xml of a copy of test/e2e/workspace (the current directory), it starts
-- `node bin/usercube-conf-server.js --stdio`, then checks: a diagnostic with a known code, a completion item at
-- Connector=", and a definition in another file. Each check is reported on its own line; the last line is
-- "RESULT <passed> <failed>". Exits with :cq (status 1) if a check failed.
-- Env: USERCUBE_SERVER (absolute path of bin/usercube-conf-server.js), NVIM_SMOKE_OUT (result file).
local out_file = assert(os.getenv('NVIM_SMOKE_OUT'), 'set NVIM_SMOKE_OUT')
local server = assert(os.getenv('USERCUBE_SERVER'), 'set USERCUBE_SERVER')
local lines, passed, failed = {}, 0, 0
local t0 = vim.loop.hrtime()
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local function log(s) table.insert(lines, s) end

local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    log(string.format('ok   %s (%d ms)', name, ms()))
  else
    failed = failed + 1
    log(string.format('FAIL %s: %s', name, tostring(err)))
  end
end

local function finish()
  log(string.format('RESULT %d %d', passed, failed))
  local f = assert(io.open(out_file, 'w'))
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd(failed == 0 and 'qa!' or 'cq!')
end

-- 0-based position just after `needle` + `delta` on the first line containing `needle`.
local function position_of(bufnr, needle, delta)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then return { line = i - 1, character = col - 1 + delta } end
  end
  error('fixture changed? ' .. needle .. ' not found')
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  assert(responses, method .. ': ' .. tostring(err or 'timeout'))
  for _, response in pairs(responses) do
    assert(not response.err, method .. ' failed: ' .. vim.inspect(response.err))
    return response.result
  end
end

-- Polls `fn` (returning a value or nil) for up to `timeout` ms.
local function poll(timeout, fn)
  local value
  vim.wait(timeout, function()
    local ok, v = pcall(fn)
    value = ok and v or nil
    return value ~= nil
  end, 100)
  return value
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

vim.api.nvim_create_autocmd('VimEnter', { callback = function()
  local ok, err = pcall(function()
    local bufnr = vim.api.nvim_get_current_buf()
    local root = vim.fn.getcwd()
    local client_id = vim.lsp.start_client({
      name = 'usercube-conf', cmd = { 'node', server, '--stdio' }, root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
    })
    assert(client_id, 'vim.lsp.start_client failed')
    vim.lsp.buf_attach_client(bufnr, client_id)
    local uri = vim.uri_from_bufnr(bufnr)

    check('diagnostic unknown-element on <ExportTasks>', function()
      local expected_line = position_of(bufnr, '<ExportTasks Identifier', 0).line
      local found = poll(30000, function()
        for _, d in ipairs(vim.diagnostic.get(bufnr)) do
          if code_of(d) == 'unknown-element' and d.lnum == expected_line then return d end
        end
      end)
      local seen = {}
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(seen, string.format('%d:%d %s', d.lnum + 1, d.col + 1, tostring(code_of(d)))) end
      assert(found, 'no unknown-element diagnostic on line ' .. (expected_line + 1) .. ' within 30 s; diagnostics: ' .. table.concat(seen, ', '))
      assert(found.source == 'usercube-conf', 'source is ' .. tostring(found.source))
    end)

    check('completion at Connector=" offers the connector HR', function()
      local position = position_of(bufnr, 'Connector="HR" SynchronizationMode', #'Connector="')
      local labels = {}
      local found = poll(15000, function()
        local result = request(bufnr, 'textDocument/completion', { textDocument = { uri = uri }, position = position })
        labels = {}
        for _, item in ipairs((result and (result.items or result)) or {}) do
          table.insert(labels, item.label)
          if item.label == 'HR' then return item end
        end
      end)
      assert(found, 'no completion item HR; items: ' .. table.concat(labels, ', '))
    end)

    check('definition of Connector="HR" is in Conf/HR.xml', function()
      local position = position_of(bufnr, 'Connector="HR" SynchronizationMode', #'Connector="H')
      local result = request(bufnr, 'textDocument/definition', { textDocument = { uri = uri }, position = position })
      assert(result, 'no definition')
      if result.uri or result.targetUri then result = { result } end
      assert(#result > 0, 'no definition')
      local target = result[1].targetUri or result[1].uri
      assert(target:match('/Conf/HR%.xml$'), 'definition in ' .. target)
    end)

    vim.lsp.stop_client(client_id)
  end)
  if not ok then
    failed = failed + 1
    log('FAIL setup: ' .. tostring(err))
  end
  finish()
end })
