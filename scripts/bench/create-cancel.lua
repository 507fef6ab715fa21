-- wrk script: every connection alternates POST music/create and DELETE scheduler/<audio_id> of a job it
-- created, so an account with maxJobs >= connections never fills up and no song is ever rendered.
-- Environment: TUNESMITH_TOKEN (bearer token), TUNESMITH_EMAIL (the account to use).
local token = os.getenv("TUNESMITH_TOKEN")
local email = os.getenv("TUNESMITH_EMAIL")
local createBody = '{"prompt": "A 30 second lo-fi piano loop with soft drums", "instrumental": true, "email": "'
  .. email .. '"}'
local createHeaders = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local deleteHeaders = { ["Authorization"] = "Bearer " .. token }
-- The Lua state is per wrk thread and shared by its connections: a queue, so no created job is forgotten.
local toCancel = {}
local created, cancelled, refused = 0, 0, 0

function request()
  local id = table.remove(toCancel, 1)
  if id then
    return wrk.format("DELETE", "/v2/pixverse/scheduler/" .. id, deleteHeaders)
  end
  return wrk.format("POST", "/v2/pixverse/music/create", createHeaders, createBody)
end

function response(status, headers, body)
  local id = body:match('"audio_id"%s*:%s*"([^"]+)"')
  if status == 200 and id then
    created = created + 1
    table.insert(toCancel, id)
  elseif status == 204 then
    cancelled = cancelled + 1
  else
    refused = refused + 1
  end
end
