# What GitLab's `Feature.enabled?(name, thing)` answers, computed by Flipper itself (Debian's ruby-flipper;
# GitLab's Feature is built on Flipper, lib/feature.rb). Reads JSON on stdin:
#   { "feature": <one entry of GET /api/v4/features>, "actors": ["Project:42", ...],
#     "groups": { "<feature group>": ["User:7", ...] } }
# loads the feature's gates into a memory adapter, and prints a JSON array: enabled? for each actor.
# An actor is what GitLab passes: a model whose `flipper_id` is "<Class>:<id>" (app/models/concerns/feature_gate.rb).
require 'json'
require 'flipper'
require 'flipper/adapters/memory'

Actor = Struct.new(:flipper_id)

input = JSON.parse($stdin.read)
entity = input.fetch('feature')
members = input.fetch('groups', {})
flipper = Flipper.new(Flipper::Adapters::Memory.new)
members.each do |group, ids|
  # GitLab registers feature groups with Flipper.register (Feature.register_feature_groups)
  Flipper.register(group.to_sym) { |actor| ids.include?(actor.flipper_id) }
end
feature = flipper[entity.fetch('name')]
entity.fetch('gates').each do |gate|
  value = gate['value']
  case gate['key']
  when 'boolean' then feature.enable if value == true
  when 'actors' then value.each { |id| feature.enable_actor(Actor.new(id)) }
  when 'groups' then value.each { |g| feature.enable_group(g.to_sym) }
  when 'percentage_of_actors' then feature.enable_percentage_of_actors(value) if value.to_f > 0
  when 'percentage_of_time' then feature.enable_percentage_of_time(value) if value.to_f > 0
  else raise "unknown gate #{gate['key']}"
  end
end
puts JSON.generate(input.fetch('actors').map { |id| feature.enabled?(Actor.new(id)) })
