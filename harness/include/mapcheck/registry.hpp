// The maps a mapcheck binary can check. Each map is compiled in its own translation unit, which
// registers one MapEntry at static-initialisation time:
//
//   #include <mapcheck/registry.hpp>
//   #include "my_adapter.hpp"
//   MAPCHECK_REGISTER_MAP(my::MapAdapter, "my_adapter.hpp");
//
// CMake's mapcheck_add_map() writes that file for a user; the bundled maps are added the same way.
// A MapEntry erases the adapter's type: the `mapcheck` command (harness/src/) runs, minimises and
// prints programs through these function pointers without knowing any map type, so that adding a
// map recompiles one small file and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapcheck/adapter.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/printer.hpp"
#include "mapcheck/program.hpp"

namespace mapcheck {

// Called after each op that held, with the index of the next op: how a supervisor sees progress.
using OpProgress = void (*)(std::size_t next_op, void* context);

struct MapEntry {
  std::string_view name;
  std::string_view cpp_name;
  std::string_view header;  // as a user includes it, for printed reproducers
  Capabilities capabilities;
  std::optional<Failure> (*run)(const Program&, OpProgress, void* context);
  std::string (*reproducer)(const Program&, std::string_view test_name,
                            const std::optional<Failure>&, std::string_view header);
};

// Every registered map, in registration order (which follows link order; sort before showing).
inline std::vector<MapEntry>& registered_maps() {
  static std::vector<MapEntry> maps;
  return maps;
}

inline bool register_map(const MapEntry& entry) {
  registered_maps().push_back(entry);
  return true;
}

inline const MapEntry* find_map(std::string_view name) {
  for (const MapEntry& entry : registered_maps())
    if (entry.name == name) return &entry;
  return nullptr;
}

template <class Adapter>
MapEntry map_entry(std::string_view header) {
  return MapEntry{
      Adapter::name,
      adapter_type_name<Adapter>,
      header,
      adapter_traits<Adapter>::capabilities,
      [](const Program& program, OpProgress progress, void* context) {
        return run_program<Adapter>(program,
                                    [&, next = std::size_t{0}](const auto&, const Op&) mutable {
                                      if (progress != nullptr) progress(++next, context);
                                    });
      },
      [](const Program& program, std::string_view test_name, const std::optional<Failure>& failure,
         std::string_view header) {
        return print_reproducer<Adapter>(program, test_name, header, failure);
      },
  };
}

}  // namespace mapcheck

#define MAPCHECK_REGISTRY_CONCAT_(a, b) a##b
#define MAPCHECK_REGISTRY_CONCAT(a, b) MAPCHECK_REGISTRY_CONCAT_(a, b)

// Registers Adapter's map (its header as users include it, for reproducers). One per map.
#define MAPCHECK_REGISTER_MAP(Adapter, header)                                                  \
  [[maybe_unused]] static const bool MAPCHECK_REGISTRY_CONCAT(mapcheck_registered_, __LINE__) = \
      ::mapcheck::register_map(::mapcheck::map_entry<Adapter>(header))
