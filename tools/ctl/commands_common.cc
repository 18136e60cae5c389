#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "tools/ctl/commands.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

bool ReadFileOrComplain(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    std::cerr << "error: cannot read " << path << "\n";
    return false;
  }
  *contents = buffer.str();
  return true;
}

bool ParseJsonOrComplain(const std::string& path, const std::string& json,
                         google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) {
    std::cerr << "error: " << path << ": not a valid " << message->GetTypeName()
              << " in JSON: " << status.message() << "\n";
    return false;
  }
  return true;
}

bool LoadJsonFile(const std::string& path, google::protobuf::Message* message) {
  std::string json;
  return ReadFileOrComplain(path, &json) && ParseJsonOrComplain(path, json, message);
}

bool SplitJsonArray(const std::string& json, std::vector<std::string>* elements,
                    std::string* error) {
  size_t i = json.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || json[i] != '[') {
    *error = "expected a JSON array";
    return false;
  }
  int depth = 0;
  bool in_string = false;
  size_t start = i + 1;
  for (; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
      if (depth == 0) break;  // the closing ']' of the array
    } else if (c == ',' && depth == 1) {
      elements->push_back(json.substr(start, i - start));
      start = i + 1;
    }
  }
  if (i >= json.size() || depth != 0) {
    *error = "unterminated JSON array";
    return false;
  }
  std::string last = json.substr(start, i - start);
  if (last.find_first_not_of(" \t\r\n") != std::string::npos) elements->push_back(last);
  if (json.find_first_not_of(" \t\r\n", i + 1) != std::string::npos) {
    *error = "trailing text after the JSON array";
    return false;
  }
  return true;
}

void TakeIdentity(Context& ctx, bool required, huanxin::v1::ConsumerIdentity* identity) {
  std::string id_number = required ? ctx.args.Require("id-number")
                                   : ctx.args.Take("id-number").value_or("");
  identity->set_id_number(id_number);
  identity->set_name(ctx.args.Take("name").value_or(""));
  identity->set_phone(ctx.args.Take("phone").value_or(""));
  identity->set_device_id(ctx.args.Take("device").value_or(""));
  identity->set_bank_card(ctx.args.Take("bank-card").value_or(""));
  ctx.client.AddSecret(identity->id_number());
  ctx.client.AddSecret(identity->name());
  ctx.client.AddSecret(identity->phone());
  ctx.client.AddSecret(identity->device_id());
  ctx.client.AddSecret(identity->bank_card());
}

// A small non-negative integer flag, or nullopt after Fail().
std::optional<int32_t> TakeInt(Context& ctx, const std::string& name, int32_t max) {
  std::optional<std::string> value = ctx.args.Take(name);
  if (!value) return std::nullopt;
  int64_t n = 0;
  bool ok = !value->empty() && value->size() <= 9;
  for (char c : *value) {
    if (c < '0' || c > '9') ok = false;
    n = n * 10 + (c - '0');
  }
  if (!ok || n > max) {
    ctx.args.Fail("--" + name + " takes a whole number 0-" + std::to_string(max) + ", got \"" +
                  *value + "\"");
    return std::nullopt;
  }
  return static_cast<int32_t>(n);
}

std::optional<v1::Vehicle::EnergyType> TakeEnergyType(Context& ctx, const std::string& name) {
  std::optional<std::string> value = ctx.args.Take(name);
  if (!value) return std::nullopt;
  v1::Vehicle::EnergyType type;
  if (!v1::Vehicle::EnergyType_Parse(*value, &type) ||
      type == v1::Vehicle::ENERGY_TYPE_UNSPECIFIED) {
    ctx.args.Fail("--" + name + " takes PETROL, DIESEL, NEV or OTHER, got \"" + *value + "\"");
    return std::nullopt;
  }
  return type;
}

int64_t TakePrice(Context& ctx) {
  std::string price = ctx.args.Require("price");
  if (price.empty()) return 0;
  std::optional<int64_t> fen = ParseYuanToFen(price);
  if (!fen) ctx.args.Fail(BadYuanMessage("--price", price));
  return fen.value_or(0);
}

void TakePurchase(Context& ctx, huanxin::v1::Purchase* purchase) {
  purchase->set_price_fen(TakePrice(ctx));
  purchase->set_category(ctx.args.Require("category"));
  if (auto grade = ctx.args.Take("grade")) {
    if (grade->size() != 1 || (*grade)[0] < '0' || (*grade)[0] > '5') {
      ctx.args.Fail("--grade takes the energy grade 1-5 (0 = none), got \"" + *grade + "\"");
    } else {
      purchase->set_energy_grade((*grade)[0] - '0');
    }
  }
  purchase->set_sku(ctx.args.Take("sku").value_or(""));
  purchase->set_serial_number(ctx.args.Take("serial").value_or(""));
  purchase->set_invoice_number(ctx.args.Take("invoice").value_or(""));
  purchase->set_brand(ctx.args.Take("brand").value_or(""));
  purchase->set_model(ctx.args.Take("model").value_or(""));
  // The new car of a car purchase.
  std::optional<v1::Vehicle::EnergyType> energy = TakeEnergyType(ctx, "car-energy");
  std::optional<int32_t> displacement = TakeInt(ctx, "car-displacement", 20000);
  const bool catalogue = ctx.args.TakeBool("nev-catalogue");
  const bool passenger = ctx.args.TakeBool("passenger");
  if (energy) {
    v1::NewVehicle* car = purchase->mutable_vehicle();
    car->set_energy_type(*energy);
    car->set_displacement_ml(displacement.value_or(0));
    car->set_nev_catalogue(catalogue);
    car->set_passenger(passenger);
  } else if (displacement || catalogue || passenger) {
    ctx.args.Fail("--car-displacement, --nev-catalogue and --passenger describe the new car: "
                  "give --car-energy PETROL|DIESEL|NEV|OTHER too");
  }
}

std::string PrincipalIdIfRole(const Client& client, const std::string& role) {
  const std::string& principal = client.options().principal;
  if (principal.compare(0, role.size() + 1, role + ":") != 0) return "";
  return principal.substr(role.size() + 1);
}

}  // namespace huanxin::ctl
